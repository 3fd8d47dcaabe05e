import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrCreateMaskKey, MaskKeyError } from '../../../src/infra/keys/maskKeyFile';
import { failingWriteFs, mountSmallDisk, type SmallDisk } from '../../helpers/smallDisk';

/** The mask key file (issue 14 §4): created whole or not at all, never through a symlink, only ever ours. */
describe('mask key file', function () {
  this.timeout(30_000);
  let disk: SmallDisk | undefined;
  let dir: string;
  let file: string;
  before(() => {
    disk = mountSmallDisk(256);
  });
  after(() => disk?.dispose());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(disk?.dir ?? os.tmpdir(), 'cct-key-'));
    file = path.join(dir, 'data', 'mask.key');
  });
  afterEach(() => {
    disk?.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const load = (extra: { fs?: ReturnType<typeof failingWriteFs> } = {}) =>
    loadOrCreateMaskKey({ env: { CCT_MASK_KEY_FILE: file }, ...extra });
  const leftovers = () => (fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)) : []);

  it('a full disk while creating the key fails naming it and leaves no file; the next run with room creates a good key', () => {
    fs.mkdirSync(path.dirname(file), { mode: 0o700 });
    const port = disk ? undefined : failingWriteFs(10);
    disk?.fill(0);
    assert.throws(
      () => load({ fs: port }),
      (e: NodeJS.ErrnoException) => e.code === 'ENOSPC' && /disk full/.test(e.message) && e.message.includes(file),
    );
    assert.deepEqual(leftovers(), [], 'no empty key, no temp file');
    disk?.release();
    const made = load();
    assert.equal(made.created, true);
    assert.match(made.key, /^[0-9a-f]{64}$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(), ['mask.key']);
    assert.equal(load().key, made.key);
  });

  it('an empty key file left by an earlier version is replaced (no key was ever read from it)', () => {
    fs.mkdirSync(path.dirname(file), { mode: 0o700 });
    fs.writeFileSync(file, '', { mode: 0o600 });
    const made = load();
    assert.equal(made.created, true);
    assert.equal(fs.readFileSync(file, 'utf8'), `${made.key}\n`);
  });

  it('refuses a key path that is a symlink, to a key or to nowhere, and changes nothing', () => {
    fs.mkdirSync(path.dirname(file), { mode: 0o700 });
    const elsewhere = path.join(dir, 'other.key');
    fs.writeFileSync(elsewhere, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    fs.symlinkSync(elsewhere, file);
    assert.throws(
      () => load(),
      (e: Error) => e instanceof MaskKeyError && /symbolic link/.test(e.message),
    );
    fs.rmSync(file);
    const nowhere = path.join(dir, 'planted.key');
    fs.symlinkSync(nowhere, file);
    assert.throws(
      () => load(),
      (e: Error) => e instanceof MaskKeyError && /symbolic link/.test(e.message),
    );
    assert.equal(fs.existsSync(nowhere), false, 'nothing written through the link');
  });

  it('refuses a key file that belongs to another user (needs root to chown)', function () {
    if (process.getuid?.() !== 0) this.skip();
    fs.mkdirSync(path.dirname(file), { mode: 0o700 });
    fs.writeFileSync(file, `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    fs.chownSync(file, 4321, 4321);
    assert.throws(
      () => load(),
      (e: Error) => e instanceof MaskKeyError && /belongs to uid 4321, not to you/.test(e.message),
    );
  });

  it('refuses a key file others can read, saying how to fix it; creates a new one 0600 under umask 022', () => {
    const old = process.umask(0o022);
    try {
      const made = load();
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      fs.chmodSync(file, 0o644);
      assert.throws(
        () => load(),
        (e: Error) => e instanceof MaskKeyError && e.message.includes(`chmod 600 '${file}'`),
      );
      fs.chmodSync(file, 0o600);
      assert.equal(load().key, made.key);
    } finally {
      process.umask(old);
    }
  });
});

/**
 * The detection engine.
 *  1. One Aho–Corasick pass over the text finds every keyword hit (case-insensitive, full-width folded).
 *  2. Anchored rules (most): per 64K block, one sticky regex attempt at each hit (and at the start of the name /
 *     local part / scheme before it, see Rule.back); when a rule's hits are dense in a block, one global regex
 *     over that block's span instead — both linear, and no regex ever runs over text far from a hit.
 *  3. Digit rules (phones, cards, My Number): one pass finds clusters of >= 10 digits; their regexes run in
 *     merged windows around those clusters only.
 *  4. Validators and entropy floors filter candidates; overlapping findings merge (union, widest labels).
 * Bounded quantifiers everywhere, plus a wall-clock deadline checked between blocks/windows (fail closed). User
 * patterns run on a linear-time engine (LinearRegex): the deadline cannot interrupt one regex execution.
 */
import { type CompiledRule, compileRule } from './compiledRule';
import { DIGIT_CLUSTERS, hasTenDigits } from './digitClusters';
import { BudgetExceeded, type RawFinding } from './findings';
import { KeywordAutomaton } from './keywords';
import type { RegexExec } from './linearRegex';
import { MatchAcceptor } from './matchAcceptor';
import type { Rule } from './rule';

export { BudgetExceeded, mergeFindings, type RawFinding } from './findings';

/** Context chars kept on both sides of a window so look-behind/ahead see the real neighbours. */
const MARGIN = 32;
/** More hits than this for one anchored rule within a 64K block: scan the block's span with the global regex instead. */
const DENSE_HITS = 2048;

export class Scanner {
  private readonly compiled: CompiledRule[];
  private readonly windowed: number[];
  private readonly fullScan: number[];
  private readonly digitRules: number[] = [];
  private readonly automaton: KeywordAutomaton;
  /** keyword id → compiled rule indices */
  private readonly kwRules: number[][];
  private readonly acceptor: MatchAcceptor;

  private readonly state: {
    wStart: Float64Array;
    wEnd: Float64Array;
    tried: Float64Array;
    matchEnd: Float64Array;
    pending: number[][];
    active: number[];
  };

  constructor(rules: readonly Rule[]) {
    this.compiled = rules.map((r) => compileRule(r));
    this.acceptor = new MatchAcceptor(rules);
    this.windowed = [];
    this.fullScan = [];
    const kwIndex = new Map<string, number>();
    const kwList: string[] = [];
    this.kwRules = [];
    this.compiled.forEach((c, ri) => {
      if (c.rule.fullScan) {
        this.fullScan.push(ri);
        return;
      }
      if (!c.anchored) this.windowed.push(ri);
      for (const k of c.rule.keywords) {
        if (/^[0-9]$/.test(k)) {
          // single digits: served by one pass over digit runs instead of a keyword hit per digit
          if (!this.digitRules.includes(ri)) this.digitRules.push(ri);
          continue;
        }
        const key = k.toLowerCase();
        let id = kwIndex.get(key);
        if (id === undefined) {
          id = kwList.length;
          kwIndex.set(key, id);
          kwList.push(key);
          this.kwRules.push([]);
        }
        const list = this.kwRules[id]!;
        if (!list.includes(ri)) list.push(ri);
      }
    });
    this.automaton = new KeywordAutomaton(kwList);
    const nr = this.compiled.length;
    this.state = {
      wStart: new Float64Array(nr),
      wEnd: new Float64Array(nr),
      tried: new Float64Array(nr),
      matchEnd: new Float64Array(nr),
      pending: this.compiled.map(() => []),
      active: [],
    };
  }

  /** All validated findings (unmerged), in no particular order. Throws BudgetExceeded past `deadline` (performance.now()). */
  scan(text: string, deadline: number): RawFinding[] {
    try {
      return this.scanInner(text, deadline);
    } finally {
      // secrets must not outlive the call in the memo
      this.acceptor.clearMemo();
    }
  }

  // ---- per-scan state (scan is synchronous and not re-entrant); kept on the instance so that scanning a short
  // document allocates nothing but its findings (closures created per call are costly, more so under keepNames)
  private text = '';
  private n = 0;
  private found: RawFinding[] = [];
  private deadline = 0;
  private flushes = 0;
  private readonly onHitFn = (kw: number, at: number): void => this.onHit(kw, at);
  private readonly onBlockFn = (): void => {
    this.processBlock();
    this.check();
  };
  private readonly checkFn = (): void => this.check();

  private check(): void {
    if (performance.now() > this.deadline) throw new BudgetExceeded();
  }

  private flush(ri: number): void {
    const { wStart, wEnd } = this.state;
    const c = this.compiled[ri]!;
    if (c.linear) {
      this.runWindow(c.re, c.rule, this.text, wStart[ri]!, wEnd[ri]!, this.found, this.checkFn, 0);
      wStart[ri] = -1;
      this.check();
      return;
    }
    this.runWindow(c.re, c.rule, this.text, wStart[ri]!, wEnd[ri]!, this.found);
    wStart[ri] = -1;
    if ((++this.flushes & 63) === 0) this.check();
  }

  private extend(ri: number, ws0: number, we0: number): void {
    const { wStart, wEnd } = this.state;
    const c = this.compiled[ri]!;
    const r = c.rule;
    const ws = Math.max(ws0, 0);
    const we = Math.min(we0, this.n);
    if (wStart[ri]! >= 0 && ws <= wEnd[ri]!) {
      if (we > wEnd[ri]!) {
        if (we - wStart[ri]! > c.maxWindow) {
          const prevEnd = wEnd[ri]!;
          this.flush(ri);
          wStart[ri] = Math.max(0, prevEnd - r.before - r.after - 1);
        }
        wEnd[ri] = we;
      }
    } else {
      if (wStart[ri]! >= 0) this.flush(ri);
      wStart[ri] = ws;
      wEnd[ri] = we;
    }
  }

  private onHit(kw: number, at: number): void {
    const rs = this.kwRules[kw]!;
    const { pending, active } = this.state;
    for (let k = 0; k < rs.length; k++) {
      const ri = rs[k]!;
      const c = this.compiled[ri]!;
      if (c.anchored) {
        const p = pending[ri]!;
        if (p.length === 0) active.push(ri);
        // past the dense threshold only the last hit matters (the block is scanned as one window)
        if (p.length <= DENSE_HITS) p.push(at);
        else p[DENSE_HITS] = at;
      } else {
        this.extend(ri, at - c.rule.before, at + c.rule.after + 1);
      }
    }
  }

  /** Anchored rules, once per block: a sticky attempt per hit, or one windowed scan when hits are dense. */
  private processBlock(): void {
    const { pending, active, tried, matchEnd } = this.state;
    for (const ri of active) {
      const hits = pending[ri]!;
      const c = this.compiled[ri]!;
      const r = c.rule;
      if (hits.length > DENSE_HITS) {
        const ws = Math.max(0, hits[0]! - r.before);
        const we = Math.min(this.n, hits[hits.length - 1]! + r.after + 1);
        this.runWindow(c.reG!, r, this.text, Math.max(ws, matchEnd[ri]!), we, this.found);
        tried[ri] = hits[hits.length - 1]!;
      } else {
        for (let h = 0; h < hits.length; h++) this.attempt(c, this.text, hits[h]!, tried, matchEnd, ri, this.found);
      }
      hits.length = 0;
    }
    active.length = 0;
  }

  private scanInner(text: string, deadline: number): RawFinding[] {
    const found: RawFinding[] = [];
    const n = text.length;
    const compiled = this.compiled;
    const { wStart, wEnd, tried, matchEnd, pending, active } = this.state;
    wStart.fill(-1);
    wEnd.fill(-1);
    tried.fill(-1);
    matchEnd.fill(-1);
    for (const ri of active) pending[ri]!.length = 0;
    active.length = 0;
    this.text = text;
    this.n = n;
    this.found = found;
    this.deadline = deadline;
    this.flushes = 0;
    try {
      this.automaton.scan(text, this.onHitFn, this.onBlockFn);
      if (this.digitRules.length && (n > 4096 || hasTenDigits(text))) {
        // clusters of at least 10 digits, consecutive digits separated by at most 3 separator chars (spaces, dashes,
        // dots, parentheses, full-width forms); every digit-triggered rule needs >= 10 digits (minDigits), so shorter
        // runs (ids, counters, hex) never reach JS
        const clusters = DIGIT_CLUSTERS;
        clusters.lastIndex = 0;
        let count = 0;
        for (let m = clusters.exec(text); m !== null; m = clusters.exec(text)) {
          const s = m.index;
          const e = s + m[0].length;
          let digits = 0;
          for (let i = s; i < e; i++) {
            const c = text.charCodeAt(i);
            if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) digits++;
          }
          for (const ri of this.digitRules) {
            const r = compiled[ri]!.rule;
            if (digits >= (r.minDigits ?? 10)) this.extend(ri, s - r.before, e + r.after);
          }
          if ((++count & 4095) === 0) this.check();
        }
      }
      for (const ri of this.windowed) if (wStart[ri]! >= 0) this.flush(ri);
      this.check();
      for (const ri of this.fullScan)
        this.runWindow(compiled[ri]!.re, compiled[ri]!.rule, text, 0, n, found, this.checkFn);
      return found;
    } finally {
      // drop references to the document and its findings
      this.text = '';
      this.found = [];
    }
  }

  /** Sticky attempts for one hit: at the hit and at each `back` position before it. */
  private attempt(
    c: CompiledRule,
    text: string,
    at: number,
    tried: Float64Array,
    matchEnd: Float64Array,
    ri: number,
    found: RawFinding[],
  ): void {
    if (at < matchEnd[ri]! || at <= tried[ri]!) return;
    const r = c.rule;
    if (r.pre !== undefined && !r.pre(text, at)) {
      tried[ri] = at;
      return;
    }
    if (r.wordStart && at > 0) {
      const p = text.charCodeAt(at - 1);
      if (
        ((p >= 48 && p <= 57) || (p >= 65 && p <= 90) || (p >= 97 && p <= 122) || p === 95) &&
        text.charCodeAt(at - 2) !== 92
      ) {
        tried[ri] = at;
        return;
      }
    }
    let q = at;
    const ba = c.backAscii;
    if (ba) {
      const floor = Math.max(at - r.before, 0);
      while (q > floor) {
        const ch = text.charCodeAt(q - 1);
        if (ch < 128 ? ba[ch] === 0 : !c.backRe!.test(text.charAt(q - 1))) break;
        q--;
      }
      if (at - q < (r.backMin ?? 0)) {
        tried[ri] = at;
        return;
      }
    }
    if (q <= tried[ri]!) q = tried[ri]! + 1;
    const re = c.re;
    for (let pos = q; pos <= at; pos++) {
      // a match can only start at the run's start, after an escape (\\n…), or after a non-alphanumeric separator
      if (pos > q) {
        const prev = text.charCodeAt(pos - 1);
        const alnum = (prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122);
        if (alnum && text.charCodeAt(pos - 2) !== 92 /* \\ */) continue;
      }
      re.lastIndex = pos;
      const m = re.exec(text);
      if (m !== null && m[0].length > 0 && this.acceptor.accept(r, m, 0, text, found, this.n > 4096)) {
        matchEnd[ri] = pos + m[0].length;
        break;
      }
    }
    tried[ri] = at;
  }

  private runWindow(
    re: RegexExec,
    rule: Rule,
    text: string,
    ws: number,
    we: number,
    found: RawFinding[],
    check?: () => void,
    /** check after every (checkMask + 1)th match */
    checkMask = 255,
  ): void {
    const ss = Math.max(ws - MARGIN, 0);
    const se = Math.min(we + MARGIN, text.length);
    const sub = ss === 0 && se === text.length ? text : text.slice(ss, se);
    re.lastIndex = ws - ss;
    const limit = we - ss;
    let count = 0;
    for (;;) {
      const m = re.exec(sub);
      if (m === null || m.index >= limit) break;
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (check && (++count & checkMask) === 0) check();
      this.acceptor.accept(rule, m, ss, text, found, this.n > 4096);
    }
  }
}

import * as vscode from 'vscode';
import type { CustomRuleInput } from '../core/privacy/customRules';
import type { RulePreview } from '../core/privacy/ruleDraft';
import { requireDashboardData } from './dashboard/dashboardDataModule';
import { COMMANDS } from './ids';
import { SECTION } from './settings';

const KEY = 'privacy.customRules';

/** What the command can be given instead of asking (tests, other commands); any field left out is asked for. */
export interface AddPrivacyRuleArgs {
  name?: string;
  pattern?: string;
  keywords?: string[];
  caseInsensitive?: boolean;
  sample?: string;
  target?: 'user' | 'workspace';
}

export interface AddPrivacyRuleResult {
  rule: CustomRuleInput;
  preview: RulePreview | undefined;
  target: 'user' | 'workspace';
}

/**
 * "Add Privacy Rule…", guided: a name, a pattern checked as it is typed with the same RE2 engine and limits a scan
 * applies, keywords (guessed from the pattern), a sample to try it on (what it would mask is shown), then the
 * scope it is saved at in `claudeTracer.privacy.customRules`.
 */
export function registerAddPrivacyRule(): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.addPrivacyRule, (args?: AddPrivacyRuleArgs) =>
    addPrivacyRule(typeof args === 'object' && args !== null ? args : {}),
  );
}

async function addPrivacyRule(args: AddPrivacyRuleArgs): Promise<AddPrivacyRuleResult | undefined> {
  const { draftRule, guessKeyword, previewRule } = requireDashboardData();
  const title = vscode.l10n.t('Add Privacy Rule');
  const config = vscode.workspace.getConfiguration(SECTION);
  const existing = config.get<unknown[]>(KEY) ?? [];
  const name =
    args.name ??
    (await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('A name for the rule (it becomes its id, e.g. "acme-token")'),
      validateInput: (v) => draftError(draftRule, { name: v, pattern: 'x{2}', keywords: ['xx'] }, existing, 'name'),
    }));
  if (!name) return undefined;
  const pattern =
    args.pattern ??
    (await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The pattern to mask, in RE2 syntax (e.g. acme_[A-Za-z0-9]{32})'),
      validateInput: (v) => (v ? draftError(draftRule, { name, pattern: v, keywords: ['xx'] }, existing) : undefined),
    }));
  if (!pattern) return undefined;
  // keywords are asked for with the pattern; a pattern given as an argument takes the guessed keyword
  let keywords = args.keywords;
  if (!keywords && args.pattern === undefined) {
    const typed = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t(
        'Keywords, comma-separated: the rule looks for the pattern only near one of them (a literal part of the pattern works best)',
      ),
      value: guessKeyword(pattern) ?? '',
      validateInput: (v) => draftError(draftRule, { name, pattern, keywords: splitKeywords(v) }, existing),
    });
    if (typed === undefined) return undefined;
    keywords = splitKeywords(typed);
  }
  const draft = draftRule({ name, pattern, keywords, caseInsensitive: args.caseInsensitive }, existing);
  if (!draft.rule) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Claude Tracer: the rule is not valid: {0}', draft.error));
    return undefined;
  }
  const rule = draft.rule;
  let preview: RulePreview | undefined;
  if (args.sample !== undefined) preview = previewRule(rule, args.sample);
  else {
    // try samples until the user saves or gives up
    for (;;) {
      const sample = await vscode.window.showInputBox({
        title,
        prompt: vscode.l10n.t('Type a sample text to test the rule on (Esc to skip)'),
      });
      if (!sample) break;
      preview = previewRule(rule, sample);
      const save = vscode.l10n.t('Save Rule');
      const again = vscode.l10n.t('Test Another Sample');
      const answer = await vscode.window.showInformationMessage(
        preview.matches.length
          ? vscode.l10n.t('The rule masks {0} span(s). Masked sample: {1}', preview.matches.length, preview.masked)
          : vscode.l10n.t('The rule masks nothing in this sample. Masked sample: {0}', preview.masked),
        { modal: true },
        save,
        again,
      );
      if (answer === save) break;
      if (answer !== again) return undefined;
    }
  }
  const target = args.target ?? (await pickTarget());
  if (!target) return undefined;
  const scope = target === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>(KEY);
  // A workspace value replaces the user's list: start it from the rules in force so none is lost.
  const base =
    (target === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue) ??
    (target === 'workspace' ? existing : []);
  await config.update(KEY, [...base, rule], scope);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Claude Tracer: privacy rule "{0}" saved; it masks what is ingested from now on.', rule.id),
  );
  return { rule, preview, target };
}

function splitKeywords(v: string): string[] {
  return v
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

/** The draft's error for an input box (undefined: fine). `name`: only the name is being checked. */
function draftError(
  draftRule: typeof import('../core/privacy/ruleDraft').draftRule,
  input: { name: string; pattern: string; keywords: string[] },
  existing: readonly unknown[],
  only?: 'name',
): string | undefined {
  const d = draftRule(input, existing);
  if (!d.error) return undefined;
  if (only === 'name' && !/name|duplicate id|custom rule '[^']*': id/.test(d.error)) return undefined;
  return d.error;
}

async function pickTarget(): Promise<'user' | 'workspace' | undefined> {
  const items: (vscode.QuickPickItem & { target: 'user' | 'workspace' })[] = [
    {
      label: vscode.l10n.t('User settings'),
      description: vscode.l10n.t('every workspace'),
      target: 'user',
    },
  ];
  if (vscode.workspace.workspaceFolders?.length)
    items.push({
      label: vscode.l10n.t('Workspace settings'),
      description: vscode.l10n.t('this workspace only'),
      target: 'workspace',
    });
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Add Privacy Rule'),
    placeHolder: vscode.l10n.t('Save the rule where?'),
  });
  return chosen?.target;
}

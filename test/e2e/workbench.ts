/** Selectors and actions on the VS Code 1.139 web workbench (code-server 4.139.1; internal DOM, re-check on upgrade). */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { EXTENSION_ID, STATUS_ITEM_ID } from '../../src/vscode/ids';

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

export function statusItem(page: Page): Locator {
  return page.locator(`.statusbar-item[id="${EXTENSION_ID}.${STATUS_ITEM_ID}"]`);
}

export function activityBarEntry(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
}

/** The inner document of our webview view: outer iframe (host-owned) → iframe#active-frame (our HTML). */
export function dashboardFrame(page: Page): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`)
    .frameLocator('iframe#active-frame');
}

/** Runs a command by its palette label through F1, as a user would. */
export async function runFromPalette(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * A fresh profile may open our Get Started walkthrough once the extension activates (first install), which takes
 * the focus from a command palette opened meanwhile. Waits briefly for it and closes it, so tests start from a quiet
 * workbench.
 */
export async function closeWalkthroughIfShown(page: Page, waitMs = 8_000): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: 'Welcome' });
  const shown = await tab.waitFor({ timeout: waitMs }).then(
    () => true,
    () => false,
  );
  if (!shown) return;
  await tab.hover();
  await tab.locator('.tab-actions .action-label').click();
  await tab.waitFor({ state: 'detached', timeout: 10_000 });
}

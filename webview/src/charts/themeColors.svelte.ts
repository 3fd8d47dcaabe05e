/**
 * Chart colours from the VS Code theme's `--vscode-*` variables. VS Code changes them (and the body's
 * vscode-light / vscode-dark / vscode-high-contrast class) in place when the theme changes; `version` bumps then,
 * so charts that read it are redrawn with the new colours.
 */
class ThemeColors {
  version = $state(0);
  private observer: MutationObserver | undefined;

  start(): void {
    if (this.observer) return;
    this.observer = new MutationObserver(() => this.version++);
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    if (document.body) this.observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** A CSS variable's current value, or the fallback. */
  css(name: string, fallback: string): string {
    const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  /** Series colours: VS Code's chart palette (the same one its own charts use), then a few theme accents. */
  palette(): string[] {
    return [
      this.css('--vscode-charts-blue', '#3794ff'),
      this.css('--vscode-charts-orange', '#d18616'),
      this.css('--vscode-charts-green', '#89d185'),
      this.css('--vscode-charts-purple', '#b180d7'),
      this.css('--vscode-charts-yellow', '#cca700'),
      this.css('--vscode-charts-red', '#f14c4c'),
      this.css('--vscode-terminal-ansiCyan', '#11a8cd'),
      this.css('--vscode-terminal-ansiMagenta', '#bc3fbc'),
    ];
  }

  foreground(): string {
    return this.css('--vscode-charts-foreground', this.css('--vscode-foreground', '#cccccc'));
  }

  gridLines(): string {
    return this.css('--vscode-charts-lines', 'rgba(128, 128, 128, 0.3)');
  }

  error(): string {
    return this.css('--vscode-charts-red', '#f14c4c');
  }

  ok(): string {
    return this.css('--vscode-charts-green', '#89d185');
  }

  font(): string {
    return this.css('--vscode-font-family', 'sans-serif');
  }
}

export const themeColors = new ThemeColors();

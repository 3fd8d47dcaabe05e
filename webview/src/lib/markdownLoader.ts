type MarkdownModule = typeof import('./markdown');

let loaded: MarkdownModule | undefined;
let loading: Promise<MarkdownModule> | undefined;

/** The Markdown renderer (micromark and its sanitizer), a chunk of its own: the Sessions list never needs it. */
export function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import('./markdown').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

/** The renderer when its chunk is in, so a timeline opened later renders in one pass. */
export function markdownIfLoaded(): MarkdownModule | undefined {
  return loaded;
}

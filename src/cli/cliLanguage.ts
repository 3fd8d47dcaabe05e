import { type TextLanguage, textLanguageOf } from '../shared/analyticsText';
import { UsageError } from './command';

export const LANGUAGES: readonly TextLanguage[] = ['en', 'ja'];

/**
 * The language of a command's human output: `--lang en|ja`, else the locale the environment asks for messages in
 * (POSIX order: LC_ALL, then LC_MESSAGES, then LANG, the first one set), Japanese when it starts with `ja`.
 */
export function cliLanguage(flag: string | undefined, env: Record<string, string | undefined>): TextLanguage {
  if (flag !== undefined) {
    const lang = flag.toLowerCase();
    if (!(LANGUAGES as readonly string[]).includes(lang))
      throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}, got '${flag}'`);
    return lang as TextLanguage;
  }
  return textLanguageOf(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

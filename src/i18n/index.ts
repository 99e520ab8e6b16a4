import i18next from 'i18next';
import type { Locale, LocalizedText } from '../config/index.js';
import en from './locales/en.json' with { type: 'json' };
import id from './locales/id.json' with { type: 'json' };

const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, id: { translation: id } },
  fallbackLng: 'en',
  initAsync: false,
  showSupportNotice: false,
  // Output is chat markdown, not HTML: escaping would mangle names like "O'Brien".
  interpolation: { escapeValue: false },
});

/** Translates one of the bot's own strings (src/i18n/locales). */
export function translate(locale: Locale, key: string, variables: Record<string, string | number> = {}): string {
  return i18n.t(key, { ...variables, lng: locale }) as string;
}

/** Renders a configured template in the community's locale (falling back to English). */
export function renderTemplate(text: LocalizedText, locale: Locale, variables: Record<string, string>): string {
  const template = text[locale] ?? text.en;
  return i18n.services.interpolator.interpolate(template, variables, locale, {});
}

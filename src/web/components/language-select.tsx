import { LANGUAGES, useI18n, type Language } from '../i18n/index.js';

/**
 * The Language control: each language named in its own words, so a person who cannot read the current one
 * still finds theirs. Changing it re-renders the page in place (a call goes on).
 */
export function LanguageSelect() {
  const { language, setLanguage, t } = useI18n();
  return (
    <select
      class="language"
      aria-label={t('language.label')}
      value={language}
      onChange={(event) => {
        const chosen = LANGUAGES.find(({ id }) => id === event.currentTarget.value);
        if (chosen) setLanguage(chosen.id satisfies Language);
      }}
    >
      {LANGUAGES.map(({ id, name }) => (
        <option key={id} value={id} lang={id}>
          {name}
        </option>
      ))}
    </select>
  );
}

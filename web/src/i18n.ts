import { useEffect, useState } from 'preact/hooks';

export type Language = 'en' | 'es';

const en = {
  appName: 'Merit',
  skip: 'Skip to content',
  language: 'Language',
  nav: 'Main',
  homeTitle: 'Your credentials, in one place',
  homeIntro: 'Sign in with your district account to see and share your credentials. Anyone can check a credential without signing in.',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedOut: 'You are signed out.',
  sessionEnded: 'Your session has ended. Sign in again to carry on.',
  signingIn: 'Signing you in…',
  signInFailed: 'Sign-in did not work. Please try again.',
  signedInAs: 'Signed in as',
  verifyLink: 'Check a credential',
  myCredentialsLink: 'My credentials',
  verifyTitle: 'Check a credential',
  verifyIntro: 'Drop a badge image (PNG or SVG) here, choose a file, or paste the credential (JSON or JWT). Nothing you check is kept.',
  fileLabel: 'Badge file (PNG, SVG or JSON)',
  pasteLabel: 'Or paste the credential (JSON or JWT)',
  checkButton: 'Check',
  checking: 'Checking…',
  dropHere: 'Drop a badge file here',
  resultValid: 'This credential is valid.',
  resultInvalid: 'This credential could not be verified.',
  resultRevoked: 'This credential has been revoked by its issuer.',
  checksHeading: 'What was checked',
  passed: 'Passed',
  failed: 'Failed',
  name: 'Name',
  issuer: 'Issuer',
  issued: 'Issued',
  expires: 'Expires',
  status: 'Status',
  never: 'Never',
  check_parse: 'It can be read as a credential',
  check_schema: 'It has the shape of an Open Badge',
  check_proof: 'The issuer’s signature is genuine and nothing was changed',
  check_status: 'The issuer has not revoked it',
  check_validity: 'It is within its dates',
  check_recipient: 'It was issued to this person',
  verifyError: 'The check could not be done. Please try again.',
  credentialsTitle: 'My credentials',
  credentialsEmpty: 'You have no credentials yet.',
  credentialsNotLearner: 'This page is for students and their guardians. Your account has no learner record.',
  loading: 'Loading…',
  state_issued: 'Valid',
  state_revoked: 'Revoked',
  state_pending: 'Waiting for a parent’s consent',
  state_expired: 'Expired',
  share: 'Share',
  shareLink: 'Share link',
  shareExpires: 'The link works until',
  copy: 'Copy link',
  copied: 'Copied',
  qrAlt: 'QR code of the share link',
  withdraw: 'Withdraw link',
  withdrawn: 'The link was withdrawn. Anyone who opens it now sees that it is no longer shared.',
  actionFailed: 'That did not work. Please try again.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no page at this address.',
} as const;

export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  appName: 'Merit',
  skip: 'Saltar al contenido',
  language: 'Idioma',
  nav: 'Principal',
  homeTitle: 'Tus credenciales, en un solo lugar',
  homeIntro:
    'Inicia sesión con tu cuenta del distrito para ver y compartir tus credenciales. Cualquiera puede comprobar una credencial sin iniciar sesión.',
  signIn: 'Iniciar sesión',
  signOut: 'Cerrar sesión',
  signedOut: 'Has cerrado la sesión.',
  sessionEnded: 'Tu sesión terminó. Inicia sesión de nuevo para continuar.',
  signingIn: 'Iniciando sesión…',
  signInFailed: 'No se pudo iniciar sesión. Inténtalo de nuevo.',
  signedInAs: 'Sesión iniciada como',
  verifyLink: 'Comprobar una credencial',
  myCredentialsLink: 'Mis credenciales',
  verifyTitle: 'Comprobar una credencial',
  verifyIntro:
    'Suelta aquí una imagen de insignia (PNG o SVG), elige un archivo o pega la credencial (JSON o JWT). No se guarda nada de lo que compruebas.',
  fileLabel: 'Archivo de insignia (PNG, SVG o JSON)',
  pasteLabel: 'O pega la credencial (JSON o JWT)',
  checkButton: 'Comprobar',
  checking: 'Comprobando…',
  dropHere: 'Suelta aquí un archivo de insignia',
  resultValid: 'Esta credencial es válida.',
  resultInvalid: 'No se pudo verificar esta credencial.',
  resultRevoked: 'El emisor ha revocado esta credencial.',
  checksHeading: 'Qué se comprobó',
  passed: 'Correcto',
  failed: 'Falló',
  name: 'Nombre',
  issuer: 'Emisor',
  issued: 'Emitida',
  expires: 'Vence',
  status: 'Estado',
  never: 'Nunca',
  check_parse: 'Se puede leer como credencial',
  check_schema: 'Tiene la forma de una Open Badge',
  check_proof: 'La firma del emisor es auténtica y nada se cambió',
  check_status: 'El emisor no la ha revocado',
  check_validity: 'Está dentro de sus fechas',
  check_recipient: 'Se emitió a esta persona',
  verifyError: 'No se pudo hacer la comprobación. Inténtalo de nuevo.',
  credentialsTitle: 'Mis credenciales',
  credentialsEmpty: 'Todavía no tienes credenciales.',
  credentialsNotLearner: 'Esta página es para estudiantes y sus tutores. Tu cuenta no tiene un registro de estudiante.',
  loading: 'Cargando…',
  state_issued: 'Válida',
  state_revoked: 'Revocada',
  state_pending: 'Esperando el consentimiento de un padre o madre',
  state_expired: 'Vencida',
  share: 'Compartir',
  shareLink: 'Enlace para compartir',
  shareExpires: 'El enlace funciona hasta el',
  copy: 'Copiar enlace',
  copied: 'Copiado',
  qrAlt: 'Código QR del enlace para compartir',
  withdraw: 'Retirar enlace',
  withdrawn: 'Se retiró el enlace. Quien lo abra ahora verá que ya no se comparte.',
  actionFailed: 'No funcionó. Inténtalo de nuevo.',
  notFoundTitle: 'Página no encontrada',
  notFoundText: 'No hay ninguna página en esta dirección.',
};

const catalogs: Record<Language, Record<MessageKey, string>> = { en, es };
/** The choice is a preference, not a secret: localStorage keeps it across visits. */
const storageKey = 'merit.language';

const initialLanguage = (): Language => {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'es' || asked === 'en') {
    localStorage.setItem(storageKey, asked);
    return asked;
  }
  const kept = localStorage.getItem(storageKey);
  return kept === 'es' ? 'es' : 'en';
};

let current: Language = initialLanguage();
const listeners = new Set<(language: Language) => void>();

export const currentLanguage = (): Language => current;

export const setLanguage = (language: Language) => {
  current = language;
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
};

export const translate = (key: MessageKey, language: Language = current): string => catalogs[language][key];

export const formatDate = (iso: string | undefined, language: Language = current): string | undefined =>
  iso ? new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long' }).format(new Date(iso)) : undefined;

/** The current language and `t`, re-rendering the component when the language changes. */
export const useLanguage = () => {
  const [language, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => void listeners.delete(setState);
  }, []);
  return { language, t: (key: MessageKey) => translate(key, language) };
};

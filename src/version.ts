declare const __INC_VERSION__: string | undefined;

/** The version baked in at build time (package.json), or "dev" when running from source. */
export const VERSION: string = typeof __INC_VERSION__ === 'string' ? __INC_VERSION__ : 'dev';

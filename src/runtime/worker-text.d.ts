/** Files bundled as text by wrangler.toml's Text rule (the Workers build only). */
declare module '*.umd.min.js' {
  const text: string;
  export default text;
}

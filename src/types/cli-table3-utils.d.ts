declare module 'cli-table3/src/utils.js' {
  /** Display width of a string, ignoring ANSI colour codes (the measure cli-table3 itself uses). */
  const utils: { strlen(text: string): number };
  export default utils;
}

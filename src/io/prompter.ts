import { emitKeypressEvents } from 'node:readline';
import { input, select } from '@inquirer/prompts';
import { BACK, type Prompter } from '../domain/context.js';
import { Interrupted } from '../domain/errors.js';

/** The back choice at the foot of a question, and the key that takes it. */
const BACK_CHOICE = { value: BACK, name: '<- back to the previous question (Esc)' };

/**
 * Runs one prompt so that Esc goes back when the question allows it, and otherwise does nothing:
 * Esc never changes an answer. Ctrl-C stops the run.
 */
async function withEsc(back: boolean, ask: (signal: AbortSignal) => Promise<string>) {
  const esc = new AbortController();
  const onKey = (_: unknown, key: { name?: string } | undefined) => {
    if (key?.name === 'escape' && back) esc.abort();
  };
  emitKeypressEvents(process.stdin);
  process.stdin.on('keypress', onKey);
  try {
    return await ask(esc.signal);
  } catch (err) {
    if (esc.signal.aborted) return BACK;
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'))
      throw new Interrupted();
    throw err;
  } finally {
    process.stdin.off('keypress', onKey);
  }
}

/**
 * Inquirer's prompts on stderr (stdout carries only the result); the only importer of
 * @inquirer/prompts, and itself imported only by the wizard. Its type-to-search is off: a stray
 * key (Esc among them) moved the selection to the first choice, so Esc then Enter replaced the
 * suggested answer.
 */
export async function inquirerPrompter(): Promise<Prompter> {
  const context = (signal: AbortSignal) => ({
    output: process.stderr,
    clearPromptOnDone: false,
    signal,
  });
  return {
    select: (q) =>
      withEsc(q.back === true, (signal) =>
        select(
          {
            message: q.message,
            choices: q.back === true ? [...q.choices, BACK_CHOICE] : q.choices,
            ...(q.default === undefined ? {} : { default: q.default }),
            pageSize: 9,
            // vim keys instead of type-to-search: only the arrows, j and k move the selection
            theme: { keybindings: ['vim'] },
          },
          context(signal),
        ),
      ),
    input: (q) =>
      withEsc(q.back === true, (signal) =>
        input(
          {
            message: q.back === true ? `${q.message} (Esc: back)` : q.message,
            ...(q.default === undefined ? {} : { default: q.default }),
            validate: q.validate,
          },
          context(signal),
        ),
      ),
  };
}

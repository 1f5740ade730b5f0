import { input, select } from '@inquirer/prompts';
import type { Prompter } from '../domain/context.js';
import { Interrupted } from '../domain/errors.js';

function interrupted(err: unknown): never {
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'))
    throw new Interrupted();
  throw err;
}

/**
 * Inquirer's prompts on stderr (stdout carries only the result); the only importer of
 * @inquirer/prompts, and itself imported only by the wizard.
 */
export async function inquirerPrompter(): Promise<Prompter> {
  const context = { output: process.stderr, clearPromptOnDone: false };
  return {
    select: (q) =>
      select(
        {
          message: q.message,
          choices: q.choices,
          ...(q.default === undefined ? {} : { default: q.default }),
          pageSize: 8,
        },
        context,
      ).catch(interrupted),
    input: (q) =>
      input(
        {
          message: q.message,
          ...(q.default === undefined ? {} : { default: q.default }),
          validate: q.validate,
        },
        context,
      ).catch(interrupted),
  };
}

import { JSONPath } from 'jsonpath-plus';
import { describeExpectation, type JsonPathAssertion } from './drillFile';

export interface AssertionResult {
  passed: boolean;
  /** What was found, for the report. */
  detail: string;
}

/** Every value the JSONPath selects in `doc`; a malformed path is an Error naming it. */
export function selectJsonPath(doc: unknown, path: string): unknown[] {
  try {
    return JSONPath<unknown[]>({ path, json: doc as object, wrap: true, eval: 'safe' });
  } catch (error) {
    throw new Error(`JSONPath ${path} cannot be evaluated: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Evaluates one assertion against an object. `equals` compares as JSON (a number 2 does not equal the
 * text "2"); `matches` tests every selected value's text; `atLeast` needs numbers (or numeric text).
 * With several selected values, every one must satisfy the expectation.
 */
export function evaluateJsonPathAssertion(doc: unknown, a: JsonPathAssertion): AssertionResult {
  let values: unknown[];
  try {
    values = selectJsonPath(doc, a.path);
  } catch (error) {
    return { passed: false, detail: (error as Error).message };
  }
  const shown = values.length === 0 ? 'nothing' : values.map((v) => JSON.stringify(v)).join(', ');
  const expectation = describeExpectation(a);
  if (a.exists !== undefined) {
    const passed = a.exists ? values.length > 0 : values.length === 0;
    return {
      passed,
      detail: `${a.path} selects ${shown}; expected it ${expectation.replace(/^exists$/, 'to exist').replace('does not exist', 'not to exist')}`,
    };
  }
  if (values.length === 0)
    return { passed: false, detail: `${a.path} selects nothing; expected a value that ${expectation}` };
  let passed: boolean;
  if (a.equals !== undefined) {
    passed = values.every((v) => JSON.stringify(v) === JSON.stringify(a.equals));
  } else if (a.matches !== undefined) {
    const re = new RegExp(a.matches);
    passed = values.every((v) => re.test(typeof v === 'string' ? v : JSON.stringify(v)));
  } else {
    passed = values.every((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return !Number.isNaN(n) && n >= (a.atLeast as number);
    });
  }
  return { passed, detail: `${a.path} is ${shown}; expected ${expectation}` };
}

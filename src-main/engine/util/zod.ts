import { z } from 'zod';
import { readableIssue } from './issues';

/**
 * zod for the app's schemas, with readable default messages (util/issues.ts): import `z` from
 * here, not from 'zod', so every schema's failures name the value and what it must be.
 */
z.config({ customError: readableIssue });

export { z };

/**
 * CHECK constraints (protocol "CHECK Constraints"): `delta.constraints.{name}` table properties.
 *
 * Pure TypeScript: no DOM, no I/O; never throws.
 */

/** A CHECK constraint (protocol "CHECK Constraints"). */
export interface CheckConstraint {
  /** Constraint name: the part of the key after `delta.constraints.`. */
  name: string;
  /** SQL boolean expression every row must satisfy. */
  expression: string;
}

const CONSTRAINT_PREFIX = 'delta.constraints.';

/**
 * The CHECK constraints stored in the table `configuration` as `delta.constraints.{name}` →
 * SQL expression (protocol "CHECK Constraints"), in configuration order.
 */
export function checkConstraints(configuration: Record<string, string> | null | undefined): CheckConstraint[] {
  const out: CheckConstraint[] = [];
  for (const [key, value] of Object.entries(configuration ?? {})) {
    if (key.startsWith(CONSTRAINT_PREFIX) && key.length > CONSTRAINT_PREFIX.length) {
      out.push({ name: key.slice(CONSTRAINT_PREFIX.length), expression: String(value) });
    }
  }
  return out;
}

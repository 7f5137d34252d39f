import type { SchemaRoundTripSummary } from './run-schema-round-trip.js';

const KIB = 1024;

function formatBytes(bytes: number): string {
  return bytes < KIB * KIB ? `${(bytes / KIB).toFixed(1)} KiB` : `${(bytes / KIB / KIB).toFixed(2)} MiB`;
}

/** The run's summary as text lines for a terminal. */
export function formatSchemaRoundTripSummary(summary: SchemaRoundTripSummary): string[] {
  const t = summary.timingsMs;
  const lines = [
    `run ${summary.runId}  topic ${summary.topic}`,
    `events      generated ${summary.generated} + malformed ${summary.malformed} = produced ${summary.produced}, consumed ${summary.consumed}`,
    `validation  accepted ${summary.accepted}, rejected ${summary.consumed - summary.accepted}` +
      (summary.rejectedAsExpected ? ' (each malformed event rejected with its reason, on the field it broke)' : ' (UNEXPECTED rejections)'),
  ];
  for (const rejection of summary.rejections) {
    lines.push(`  ${String(rejection.count).padStart(4)} × ${rejection.code.padEnd(27)} field ${(rejection.field || '(payload)').padEnd(14)} e.g. ${rejection.example}`);
  }
  lines.push(
    `arrow file  ${summary.file.path}`,
    `            ${summary.file.rows} rows × ${summary.file.columns.length} columns, ${formatBytes(summary.file.bytes)}, schema ${summary.file.schema} ${summary.file.fingerprint}`,
  );
  for (const column of summary.file.columns) {
    lines.push(`    ${column.name.padEnd(14)} ${column.type}`);
  }
  lines.push(
    `time        total ${t.total} ms (generate ${t.generate}, produce ${t.produce}, consume ${t.consume}, validate+write ${t.write})`,
  );
  return lines;
}

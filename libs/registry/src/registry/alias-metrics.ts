import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of `AliasManager`. */
export interface AliasMetrics {
  readonly moves: Counter<'kind'>;
  readonly refusals: Counter<'reason'>;
  readonly longPolls: Gauge;
}

/** Registers the alias metrics on `registry`. */
export function createAliasMetrics(registry: Registry): AliasMetrics {
  return {
    moves: new Counter({ name: 'metarec_registry_alias_moves_total', help: 'Alias moves by kind (set, promote, override, rollback)', labelNames: ['kind'], registers: [registry] }),
    refusals: new Counter({ name: 'metarec_registry_gate_refusals_total', help: 'Promotions refused by the gate, by reason', labelNames: ['reason'], registers: [registry] }),
    longPolls: new Gauge({ name: 'metarec_registry_long_polls', help: 'Long-poll requests waiting for an alias move', registers: [registry] }),
  };
}

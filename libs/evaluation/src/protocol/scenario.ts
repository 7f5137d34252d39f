/** MeLU's four evaluation states (Lee et al., KDD 2019, Table 2). */
export type Scenario = 'warm' | 'new_user' | 'new_item' | 'new_user_new_item';

/** Which users and items each scenario draws from: test (new) users or not, new items or not. */
export const SCENARIOS: Readonly<Record<Scenario, { readonly coldUser: boolean; readonly coldItem: boolean }>> = {
  warm: { coldUser: false, coldItem: false },
  new_user: { coldUser: true, coldItem: false },
  new_item: { coldUser: false, coldItem: true },
  new_user_new_item: { coldUser: true, coldItem: true },
};

/** All scenarios in report order. */
export const ALL_SCENARIOS: readonly Scenario[] = ['warm', 'new_user', 'new_item', 'new_user_new_item'];

/** Type guard for CLI input. */
export function isScenario(value: string): value is Scenario {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, value);
}

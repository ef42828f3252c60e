/** Types of install-plan.mjs, for the tests that import it. */
export declare const installedMarker: string;
export declare function installPlan(state: { installed: boolean }): string[][];

/**
 * The bench: scenarios with ground truth ({@code scenario}), the simulated platform on a virtual
 * clock ({@code sim}), running detection and the baselines over it and scoring them ({@code run}),
 * and the report with plots ({@code report}).
 */
package dev.wisp.bench;

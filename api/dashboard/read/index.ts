/**
 * The dashboard's read side: every view reads only the rollup tables
 * (dashboard_figures, dashboard_flows, app_meta), never the raw tables.
 */
export { readComparison } from './compare';
export { comparisonCsv, figuresCsv, flowsCsv, publicCorridorsCsv, publicFiguresCsv, type CsvFile } from './export';
export { readFigures } from './figures';
export { readFlows } from './flows';
export { readPublicSummary } from './public-summary';
export type { DashboardQuery } from './query';

/**
 * The boundaries between feature folders (README, "How the code is laid out"), checked by `npm run lint`.
 * Known violations, each a debt to pay, are listed in .dependency-cruiser-known-violations.json: `--ignore-known`
 * lets those pass and fails on any new one.
 */

/**
 * The features, lowest first. Each may import only those before it, so the feature graph has no cycle: a cycle
 * needs an import upward, and a lower feature makes a higher one act through an event (common/domain-events.ts)
 * or an abstract class the higher one provides (common/provided-above.ts).
 */
const LAYERS = [
  'settings',
  'currencies',
  'catalog',
  'instances',
  'accounts',
  'billing',
  'amqp',
  'placement',
  'reports',
  'widget',
  'wizard',
];
const FEATURES = `(${LAYERS.join('|')})`;

const noUpwardImports = LAYERS.slice(0, -1).map((feature, index) => ({
  name: `${feature}-imports-no-feature-above`,
  comment: `${feature} may import only ${LAYERS.slice(0, index).join(', ') || 'no other feature'}.`,
  severity: 'error',
  from: { path: `^src/${feature}/` },
  to: { path: `^src/(${LAYERS.slice(index + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...noUpwardImports,
    {
      name: 'no-circular',
      comment: 'No module imports itself through others at run time (a DTO and its service may share types).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-foreign-repository',
      comment: "A feature asks another feature's exported services, never its repositories.",
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/.+[.]repository[.]ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'no-foreign-entity',
      comment:
        "A feature reads another feature's rows through that feature's services. Importing the entity's type (what " +
        'those services return) is fine; importing the class is how one queries its table, and is not.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: {
        path: `^src/${FEATURES}/.+[.]entit(y|ies)[.]ts$`,
        pathNot: '^src/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'not-to-demo',
      comment: 'The demo host is a host like any other: nothing of the plugin imports it.',
      severity: 'error',
      from: { pathNot: '^src/demo/' },
      to: { path: '^src/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};

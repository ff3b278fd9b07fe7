// Empties dist/ before a build, so a file deleted from src/ cannot linger in the published package.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

rmSync(join(__dirname, '..', 'dist'), { recursive: true, force: true });

#!/usr/bin/env node
'use strict';
// The `shipshape` command: the bundled CLI (npm run build writes dist/cli.js).
require('../dist/cli.js');

#!/usr/bin/env node
// A committed launcher so npm links the `kwqm` bin at install time, before the build exists.
import '../dist/cli.js';

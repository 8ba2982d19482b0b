// What the chassis does when its configuration is invalid: a message, then exit 78 (EX_CONFIG).
process.stderr.write('config: PORT must be a number, got "nope"\n');
process.exit(78);

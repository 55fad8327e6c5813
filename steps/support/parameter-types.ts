import { defineParameterType } from '@cucumber/cucumber';

/** A property value written as JSON in the scenario: 122, 1.5, "fast", true or null. */
defineParameterType({
  name: 'value',
  regexp: /-?\d+(?:\.\d+)?|"[^"]*"|true|false|null/,
  transformer: (text: string): unknown => JSON.parse(text),
});

/** A property name as the scenario writes it, e.g. telemetryInterval. */
defineParameterType({
  name: 'property',
  regexp: /[A-Za-z_][A-Za-z0-9_]*/,
  transformer: (text: string) => text,
});

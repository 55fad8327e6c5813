@not-http
Feature: One connection per identity
  The hub keeps a single connection for each device or module identity. When a second app connects
  with the same identity, the hub closes the first connection, and from then on the twin traffic
  goes to the app that connected last.

  An HTTP device keeps no connection to take over: this runs over Mqtt, MqttWs, Amqp and AmqpWs only.

  Scenario: A second app connecting as the same module takes over
    Given module "myFirstModule" of device "myFirstDevice" is connected without automatic reconnection
    When a second app connects as module "myFirstModule"
    Then the first app is told it was disconnected
    When the back end sets the desired property telemetryInterval to 7
    Then the second app receives a desired patch setting telemetryInterval to 7

@emulator-only @not-amqp @not-amqp-ws @not-http
Feature: A device that renews its token keeps its session
  The SDK renews its token before it expires by connecting again with a new one. The hub keeps the
  device's session across that reconnection, so desired properties keep arriving. The hub sees a
  renewal as a new connection made before the old token expired, and no earlier than the SDK renews;
  a reconnect after the hub closed an expired (or a still valid) connection is not a renewal.

  This is how the MQTT transports renew. Over AMQP the SDK renews with a new put-token on the same
  connection (no reconnect: see test/amqp for the claims it renews), and HTTP sends a token with each
  request, so the scenario runs over Mqtt and MqttWs only.

  Scenario: Desired properties still arrive after the token is renewed
    Given device "sensor" is connected with tokens that last 6 seconds
    When device "sensor" has renewed its token
    And the back end asks device "sensor" for mode "eco"
    Then device "sensor" receives the desired mode "eco"

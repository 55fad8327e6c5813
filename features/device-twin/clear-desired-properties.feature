@not-http
Feature: The back end clears the desired properties of a device
  The back end can withdraw everything it asked of a device in one change; a connected device is
  told which properties were removed.

  Over HTTP the hub offers no twin ("Choose a device communication protocol"): this runs over
  Mqtt, MqttWs, Amqp and AmqpWs only.

  Scenario: The back end clears all desired properties at once
    Given device "thermostat" is connected
    And the back end has asked device "thermostat" for targetTemperature 21 and mode "eco"
    When the back end clears all desired properties of device "thermostat"
    Then the twin of device "thermostat" has no desired properties
    And device "thermostat" is told that targetTemperature and mode were removed

@not-http
Feature: The back end sees what a module reports
  A module reports its actual state as reported properties; the back end reads them from the
  module twin.

  Modules have no HTTP transport, and over HTTP the hub offers no twin: this runs over Mqtt,
  MqttWs, Amqp and AmqpWs only.

  Scenario: The module reports its firmware version
    Given module "myFirstModule" of device "myFirstDevice" is connected
    When the module reports firmwareVersion as "1.2.3"
    Then the back end sees the reported property firmwareVersion as "1.2.3"
    And the reported properties version has gone up

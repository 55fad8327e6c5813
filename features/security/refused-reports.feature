@not-http
Feature: A device or module cannot put in its twin what the hub does not allow
  Reported properties follow the twin rules (names, types, sizes, depth). A report that breaks them
  is refused as a whole, the device or module is told so, and the twin keeps what it had.

  Over HTTP the hub offers no twin ("Choose a device communication protocol"): this runs over
  Mqtt, MqttWs, Amqp and AmqpWs only.

  Scenario: A device's report with a forbidden property name is refused
    Given device "thermostat" is connected
    And device "thermostat" has reported firmware as "1.0"
    When device "thermostat" reports a property named "bad.name" along with firmware "2.0"
    Then device "thermostat" is told its report was refused
    And the back end sees that "thermostat" reports only firmware as "1.0"

  Scenario: A module's report with a forbidden property name is refused
    Given module "filter" of device "gateway" is running
    And module "filter" has reported firmware as "1.0"
    When module "filter" reports a property named "$bad" along with firmware "2.0"
    Then module "filter" is told its report was refused
    And the back end sees that "filter" reports only firmware as "1.0"

@not-http
Feature: A module proves its identity when it connects
  A module connects with a token signed by one of its keys. The hub refuses a token signed with
  any other key, so that no one can speak for a module without its keys.

  Modules have no HTTP transport (the SDK's ModuleClient over Http cannot authenticate as a
  module): this runs over Mqtt, MqttWs, Amqp and AmqpWs only.

  Scenario: A module connects with its own key
    Given module "myFirstModule" of device "myFirstDevice" is connected
    When the module reports connected as true
    Then the back end sees the reported property connected as true

  Scenario: A module whose key is not its own is refused
    Given module "myFirstModule" of device "myFirstDevice" is registered
    When the module connects with a key that is not its own
    Then the connection is refused as unauthorized

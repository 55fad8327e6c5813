@not-http
Feature: The back end sets a module's desired properties
  The back end changes what it wants from a module by patching the desired properties of the
  module twin, as the tutorial's UpdateModuleTwinDesiredProperties app does.

  Modules have no HTTP transport, and over HTTP the hub offers no twin: this runs over Mqtt,
  MqttWs, Amqp and AmqpWs only.

  Rule: An update is stored and versioned

    Scenario: The back end sets a desired property
      Given module "myFirstModule" of device "myFirstDevice" is registered
      When the back end sets the desired property telemetryInterval to 122
      Then the module twin shows the desired property telemetryInterval as 122
      And the desired properties version has gone up

    Scenario: The back end removes a desired property
      Given module "myFirstModule" of device "myFirstDevice" is registered
      And another back end has since set the desired property telemetryInterval to 122
      When the back end removes the desired property telemetryInterval
      Then the module twin no longer has the desired property telemetryInterval

  Rule: An update based on an out-of-date read is refused, and nothing is lost

    Scenario: Two back ends update the same twin
      Given module "myFirstModule" of device "myFirstDevice" is registered
      And the back end has read the module twin
      And another back end has since set the desired property telemetryInterval to 60
      When the back end sets the desired property telemetryInterval to 122 based on the twin it read
      Then the update is refused because the twin has changed
      And the module twin shows the desired property telemetryInterval as 60

@not-http
Feature: A connected module receives desired-property patches
  A module that listens for desired properties, as the tutorial's
  ReceiveModuleTwinDesiredPropertiesPatch app does, is told of each change as a patch that carries
  only what changed and the new desired version: a patch is compared whole, never one key of it.

  Modules have no HTTP transport, and over HTTP the hub offers no twin: this runs over Mqtt,
  MqttWs, Amqp and AmqpWs only.

  Scenario: The module receives the back end's update
    Given module "myFirstModule" of device "myFirstDevice" is connected
    And another back end has since set the desired property mode to "eco"
    When the back end sets the desired property telemetryInterval to 122
    Then the module receives a desired patch setting telemetryInterval to 122

  Scenario: The module is told when a desired property is removed
    Given module "myFirstModule" of device "myFirstDevice" is connected
    And another back end has since set the desired property telemetryInterval to 122
    When the back end removes the desired property telemetryInterval
    Then the module receives a desired patch removing telemetryInterval

  Rule: A patch sent while the module is offline is not queued; the module reads the twin when it is back

    Scenario: A module that was offline catches up from its twin
      Given module "myFirstModule" of device "myFirstDevice" is connected
      And the module goes offline
      And the back end sets the desired property telemetryInterval to 30
      When the module connects again
      Then the module reads the desired property telemetryInterval as 30

    Scenario: A module that was offline is not sent the patch it missed
      Given module "myFirstModule" of device "myFirstDevice" is connected
      And the module goes offline
      And the back end sets the desired property telemetryInterval to 30
      And the module connects again
      When the back end sets the desired property telemetryInterval to 31
      Then the only desired patch the module receives sets telemetryInterval to 31

  @emulator-only
  Rule: Patches reach a module again after its connection is lost and restored

    Scenario: The module reconnects by itself and keeps receiving patches
      Given module "myFirstModule" of device "myFirstDevice" is connected
      And the emulator drops the module's connection
      When the back end sets the desired property telemetryInterval to 45
      Then the module receives a desired patch setting telemetryInterval to 45

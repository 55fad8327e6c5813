@not-http
Feature: The back end calls a direct method on a device or a module
  A back end asks a connected device or module to act now and waits for its answer, as the
  "control a device" quickstart does. A target that cannot take the call, or does not answer in
  time, is reported to the back end instead of an answer.

  Over HTTP the hub delivers no direct methods ("Choose a device communication protocol"):
  this runs over Mqtt, MqttWs, Amqp and AmqpWs only.

  Rule: A connected target that handles the method answers it

    Scenario: A device answers a direct method
      Given device "thermostat" is connected
      And device "thermostat" answers method "reboot" with status 200 and result "rebooting"
      When the back end calls method "reboot" on "thermostat"
      Then the back end gets status 200 and result "rebooting"

    Scenario: A module answers a direct method
      Given module "filter" of device "gateway" is running
      And module "filter" answers method "flush" with status 202 and result "flushed"
      When the back end calls method "flush" on "filter"
      Then the back end gets status 202 and result "flushed"

  Rule: A target that cannot take the call is reported as not online

    Scenario: The device is not connected
      Given device "thermostat" is registered
      When the back end calls method "reboot" on "thermostat"
      Then the back end is told that the target is not online

    Scenario: The device is connected but does not handle direct methods
      Given device "thermostat" is connected
      When the back end calls method "reboot" on "thermostat"
      Then the back end is told that the target is not online

  Rule: A target that does not answer in time is reported as timed out

    Scenario: The device takes the call but never answers
      Given device "thermostat" is connected
      And device "thermostat" takes method "selfTest" but never answers
      When the back end calls method "selfTest" on "thermostat" and waits 5 seconds
      Then the back end is told that the call timed out

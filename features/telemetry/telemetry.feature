Feature: Devices and modules send messages to the cloud
  A device sends telemetry, and a module sends messages on its named outputs; the hub acknowledges
  each message it accepts.

  Modules have no HTTP transport: the module's output runs over the other four transports.

  Scenario: A device sends a temperature reading
    Given device "thermostat" is connected
    When device "thermostat" sends the reading '{"temperature":21.5}'
    Then the hub accepts the message

  @not-http
  Scenario: A module sends a message on one of its outputs
    Given module "filter" of device "gateway" is running
    When module "filter" sends 'filtered' on output "output1"
    Then the hub accepts the message

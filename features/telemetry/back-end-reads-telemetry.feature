Feature: The back end reads what devices and modules send
  A back end reads device-to-cloud messages from the hub's built-in Event Hub-compatible endpoint
  with the Event Hubs SDK, as most IoT back ends (and Azure IoT Explorer) do. Every message a device,
  or one of its modules, sends arrives there once, with the properties it was sent with.

  Modules have no HTTP transport: the module's output runs over the other four transports.

  Background:
    Given the back end is reading the hub's telemetry

  Scenario: The back end reads the device's telemetry
    Given device "thermostat" is connected
    When device "thermostat" sends the reading '{"temperature":21.5}' with the property "alert" set to "none"
    Then the back end reads the reading '{"temperature":21.5}' from device "thermostat", once
    And the message carries the property "alert" set to "none"

  @not-http
  Scenario: A module's output reaches the back end
    Given module "filter" of device "gateway" is running
    When module "filter" sends 'filtered' on output "output1"
    Then the back end reads 'filtered' from module "filter", once

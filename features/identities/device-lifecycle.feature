Feature: The back end manages the lifecycle of a device
  The back end registers devices, changes them, disables them and deletes them. A change is
  guarded by what the back end last read, and a device the back end has disabled or deleted can
  no longer talk to the hub, and neither can its modules.

  Being refused or disconnected needs a connection, which an HTTP device does not keep: those
  scenarios run over Mqtt, MqttWs, Amqp and AmqpWs, and test/http-device covers HTTP's refusals.

  Rule: A change based on an out-of-date read is refused, and nothing is lost

    Scenario: Two back ends change the same device
      Given device "thermostat" is registered
      And the back end has read device "thermostat"
      And another back end has since disabled device "thermostat" because of "maintenance"
      When the back end enables device "thermostat" based on what it read
      Then the change is refused because device "thermostat" has changed
      And device "thermostat" is still disabled because of "maintenance"

  Rule: A disabled device cannot connect, and a connected one is disconnected

    @not-http
    Scenario: A disabled device is refused
      Given device "thermostat" is registered
      And the back end has disabled device "thermostat"
      When device "thermostat" tries to connect
      Then the connection is refused as unauthorized

    @not-http
    Scenario: A connected device is disconnected when the back end disables it
      Given device "thermostat" is connected
      When the back end disables device "thermostat"
      Then the hub shows device "thermostat" as disconnected
      And device "thermostat" cannot connect again

    @not-http
    Scenario: A device enabled again can connect
      Given device "thermostat" is registered
      And the back end has disabled device "thermostat"
      When the back end enables device "thermostat"
      Then device "thermostat" can connect

  Rule: A module of a disabled device cannot connect, and a connected one is disconnected

    @not-http
    Scenario: A module of a disabled device is refused
      Given module "myFirstModule" of device "myFirstDevice" is registered
      And the back end has disabled device "myFirstDevice"
      When the module tries to connect
      Then the connection is refused as unauthorized

    @not-http
    Scenario: A connected module is disconnected when the back end disables its device
      Given module "myFirstModule" of device "myFirstDevice" is connected without automatic reconnection
      When the back end disables device "myFirstDevice"
      Then the module is told it was disconnected
      And the module cannot connect again

  Rule: Deleting a device deletes its modules too

    Scenario: The back end deletes a device that has a module
      Given module "myFirstModule" of device "myFirstDevice" is registered
      When the back end deletes device "myFirstDevice"
      Then module "myFirstModule" of device "myFirstDevice" is no longer registered

Feature: The back end sends commands to its devices
  A command goes through the hub's per-device queue: it waits there while the device is offline,
  is delivered in order, and leaves the queue when the device completes it. The back end asks for
  feedback to learn what happened to a command.

  Rule: a command reaches its device and the back end learns it was completed

    Scenario: The back end sends a command and gets positive feedback
      Given device "thermostat" is listening for commands
      When the back end sends the command "reboot" to "thermostat" asking for positive feedback
      Then device "thermostat" receives the command "reboot"
      And the back end is told that "thermostat" completed the command "reboot"
      And the hub holds 0 commands for "thermostat"

    Scenario: A command sent while the device is offline is delivered when it connects
      Given device "thermostat" is registered
      When the back end sends the command "reboot" to "thermostat"
      Then the hub holds 1 command for "thermostat"
      When device "thermostat" connects and listens for commands
      Then device "thermostat" receives the command "reboot"

  Rule: a command that cannot be delivered is never delivered late

    Scenario: An expired command is reported as expired and never delivered
      Given device "thermostat" is registered
      When the back end sends the command "reboot" to "thermostat" valid for 1 second, asking for negative feedback
      Then the back end is told that the command "reboot" for "thermostat" expired
      When the back end sends the command "status" to "thermostat"
      And device "thermostat" connects and listens for commands
      Then device "thermostat" receives the command "status"

    Scenario: A full device queue refuses another command
      Given device "thermostat" is registered
      And the back end has sent 50 commands to "thermostat"
      When the back end sends another command to "thermostat"
      Then the command is refused because the device's queue is full
      And the hub holds 50 commands for "thermostat"

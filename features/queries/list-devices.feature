Feature: A back end lists its devices

  Scenario: The back end lists the devices it registered
    Given device "lobby" is registered
    And device "garage" is registered
    When the back end lists its devices
    Then the list holds devices "lobby" and "garage"

  Scenario: The registry statistics count the devices by status
    Given the back end has read the registry statistics
    And device "cellar" is registered
    And device "attic" is registered
    And the back end has disabled device "attic"
    When the back end reads the registry statistics again
    Then the registry counts 2 more devices, 1 more of them disabled

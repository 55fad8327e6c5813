Feature: The back end finds its devices

  Scenario: Devices are found by a tag
    Given devices "north-1" and "north-2" are installed at site "north"
    And device "south-1" is installed at site "south"
    When the back end looks for the devices installed at site "north"
    Then it finds devices "north-1" and "north-2"

  Scenario: Devices are found by a desired property
    Given devices "eco-1" and "comfort-1" are installed at site "west"
    And the back end has asked device "eco-1" for mode "eco"
    When the back end looks for the devices at site "west" asked for mode "eco"
    Then it finds device "eco-1"

  Scenario: Devices are found by their ids
    Given devices "gate-1", "gate-2" and "gate-3" are installed at site "harbour"
    When the back end looks for devices "gate-1" and "gate-3" by their ids
    Then it finds devices "gate-1" and "gate-3"

  Scenario: The back end counts its devices
    Given devices "pump-1", "pump-2" and "pump-3" are installed at site "plant"
    And device "pump-4" is installed at site "depot"
    When the back end counts the devices installed at site "plant"
    Then it counts 3 devices

  Scenario: The back end counts its devices per mode
    Given devices "fan-1", "fan-2" and "fan-3" are installed at site "hall"
    And the back end has asked devices "fan-1" and "fan-2" for mode "eco"
    And the back end has asked device "fan-3" for mode "boost"
    When the back end counts the devices at site "hall" per mode
    Then it counts 2 devices in mode "eco" and 1 device in mode "boost"

  Scenario: The back end reads only what it needs of its idle devices
    Given devices "kiosk-1" and "kiosk-2" are installed at site "mall"
    And the back end has disabled device "kiosk-2"
    When the back end reads the id and last activity time of the enabled devices at site "mall" that are disconnected
    Then it gets only the id and last activity time of device "kiosk-1"

  Scenario: Many results come page by page
    Given devices "east-1", "east-2" and "east-3" are installed at site "east"
    When the back end looks for the devices installed at site "east", two at a time
    Then it finds devices "east-1", "east-2" and "east-3"
    And the results came in 2 pages

  Scenario: A query the hub cannot understand is refused
    When the back end looks for devices with a query that is not valid
    Then the query is refused as invalid

"""Writing the agenda out: the .ics plan and rendering (through ``icalendar`` only), vdir folders,
exports kept current. Depends on the core only."""

//! The terminal's parts without its window, in one test binary: the card reader and the code scanner over
//! real pty pairs, the printer over real TCP and ptys with its golden bytes, the bundled font, the command
//! line run as the real binary, the property tests of every parser of outside bytes, and the layers'
//! one-way rule.

mod cli;
mod font;
mod input;
mod journey_properties;
mod layers;
mod printer;
mod printer_golden;
mod printer_properties;
mod properties;
mod reader;
mod reader_properties;
mod scanner;
mod scanner_properties;
mod signin_properties;

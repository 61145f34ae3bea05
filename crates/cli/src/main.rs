//! The `switchboard` binary: the CLI alone (see the library for the commands).

use std::process::ExitCode;

fn main() -> ExitCode {
    switchboard_cli::main(std::env::args_os().skip(1).collect())
}

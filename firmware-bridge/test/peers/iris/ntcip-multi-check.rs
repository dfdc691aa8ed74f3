// citybay's harness around the ntcip crate's MULTI parser (src/dms/multi.rs of an ntcip checkout,
// built by run.sh without its crates.io dependencies): reads MULTI strings, one per line, and prints
// "ok" or the first syntax error the parser gives, e.g. "UnsupportedTagValue".
#![allow(dead_code, unused_imports, deprecated)]
macro_rules! debug {
    ($($t:tt)*) => {};
}
macro_rules! warn {
    ($($t:tt)*) => {};
}
mod dms {
    #[derive(Debug)]
    pub enum FontError {
        InvalidChar(char),
        Other,
    }
    #[derive(Debug)]
    pub enum GraphicError {
        TooBig,
        Other,
    }
    pub mod multi;
}
use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines() {
        let ms = line.unwrap();
        let first_error = dms::multi::MultiStr::new(&ms).find_map(|v| v.err());
        match first_error {
            None => println!("ok"),
            Some(e) => println!("{}", format!("{e:?}").split('(').next().unwrap()),
        }
    }
}

// gen < SEEDS: reads seeds on stdin, writes in/NNNN.txt; takes no arguments.
mod common;
use std::io::Read;
fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: gen < seeds.txt");
        std::process::exit(1);
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    common::write_inputs(&common::read_seeds(&text), "in");
}

// tester CMD... < INPUT  (recent contests)
mod common;
mod tester;
use std::io::Read;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    tester::run(&input, &args[1..]);
}

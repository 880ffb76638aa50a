// vis INPUT OUTPUT: prints the bare score, errors on stderr, like some older contests.
mod common;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let input = std::fs::read_to_string(&args[1]).expect("no input");
    let output = std::fs::read_to_string(&args[2]).expect("no output");
    let (score, err) = common::judge_output(&input, &output);
    eprintln!("debug: n = {}", common::parse_input(&input).len()); // chatter on stderr must not hide the score
    if !err.is_empty() {
        eprintln!("{}", err);
    }
    println!("{}", score);
}

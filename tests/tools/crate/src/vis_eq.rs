// vis INPUT OUTPUT: prints "Score = N" (and the error on the next line), like recent contests.
mod common;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let input = std::fs::read_to_string(&args[1]).expect("no input");
    let output = std::fs::read_to_string(&args[2]).expect("no output");
    let (score, err) = common::judge_output(&input, &output);
    println!("Score = {}", score);
    if !err.is_empty() {
        println!("{}", err);
    }
    std::fs::write("vis.html", format!("<html><body><svg width=\"10\" height=\"10\"><text>{}</text></svg></body></html>", score)).unwrap();
}

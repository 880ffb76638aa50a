// The toy contest used by ale's tests: guess the sum of N numbers.
// Input: "N\na_1 ... a_N\n". Score = max(1, 10000 - 10 * |x - sum|).
#![allow(dead_code)]
use std::fs;
use std::path::Path;

pub fn make_input(seed: u64) -> String {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let n = 5 + (seed % 6) as usize;
    let mut a = Vec::new();
    for _ in 0..n {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        a.push(((x >> 33) % 100).to_string());
    }
    format!("{}\n{}\n", n, a.join(" "))
}

pub fn parse_input(text: &str) -> Vec<i64> {
    let mut it = text.split_whitespace().map(|t| t.parse::<i64>().expect("bad input"));
    let n = it.next().expect("empty input") as usize;
    it.take(n).collect()
}

pub fn score_of(a: &[i64], x: i64) -> i64 {
    let s: i64 = a.iter().sum();
    (10000 - 10 * (x - s).abs()).max(1)
}

// (score, error) of a batch output, like the official vis.
pub fn judge_output(input: &str, output: &str) -> (i64, String) {
    let a = parse_input(input);
    let tok: Vec<&str> = output.split_whitespace().collect();
    if tok.len() != 1 {
        return (0, format!("expected one integer, got {} tokens", tok.len()));
    }
    match tok[0].parse::<i64>() {
        Ok(x) if x >= 0 => (score_of(&a, x), String::new()),
        Ok(x) => (0, format!("x = {} is negative", x)),
        Err(_) => (0, format!("'{}' is not an integer", tok[0])),
    }
}

pub fn read_seeds(text: &str) -> Vec<u64> {
    text.split_whitespace().map(|t| t.parse().expect("bad seed")).collect()
}

pub fn write_inputs(seeds: &[u64], dir: &str) {
    fs::create_dir_all(dir).unwrap();
    for (i, s) in seeds.iter().enumerate() {
        fs::write(Path::new(dir).join(format!("{:04}.txt", i)), make_input(*s)).unwrap();
    }
}

import os
import sys
import time

nums = list(map(int, sys.stdin.read().split()))[1:]
for i in range(200):
    if os.fork() == 0:
        os.setsid()
        time.sleep(300)
        os._exit(0)
print(sum(nums))

import numpy as np

a = np.ones(4 << 30, dtype=np.uint8)  # 4 GiB, touched
print(int(a[::4096].sum()))

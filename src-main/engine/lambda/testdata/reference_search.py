"""A literal transcription of search_hypers from NVS-Solver (ZHU-Zhiyu/NVS_Solver,
svd_interpolate_single_img.py), run once to produce reference_search.json for search.test.ts.

The only change: the reference hard-codes 25 frames (range(25), tau/24, index_list 1..24); here
F frames use range(F), tau/(F-1), index_list 1..F-1, which is the same thing for F = 25.
Sigmas are read as the reference reads them: np.load(...).tolist() of the float32 file.

    cd src-main/engine/lambda/testdata && python3 reference_search.py
"""
import json
import numpy as np


def search_hypers(sigmas, F):
    sigmas = sigmas[:-1]
    sigmas_max = max(sigmas)

    v2_list = np.arange(50, 1001, 50)
    v3_list = np.arange(10, 101, 10)
    v1_list = np.linspace(0.001, 0.009, 9)
    zero_count_default = 0
    index_list = list(range(1, F))

    for v1 in v1_list:
        for v2 in v2_list:
            for v3 in v3_list:
                flag = True
                lambda_t_list = []
                for sigma in sigmas:
                    sigma_n = sigma / sigmas_max
                    for tau in range(F):
                        if tau not in index_list:
                            lambda_t_list.append(1)
                        else:
                            tau_p = 0
                            tau_ = tau / (F - 1)

                            Q = v3 * abs((tau_ - tau_p)) - v2 * sigma_n
                            k = 0.8
                            b = -0.2

                            lambda_t_1 = (-(2*v1 + k*Q) + ((2*k*v1+k*Q)**2 - 4*k*v1*(k*v1+Q*b))**0.5)/(2*k*v1)
                            lambda_t_2 = (-(2*v1 + k*Q) - ((2*k*v1+k*Q)**2 - 4*k*v1*(k*v1+Q*b))**0.5)/(2*k*v1)
                            v1_ = -v1
                            lambda_t_3 = (-(2*v1_ + k*Q) + ((2*k*v1_+k*Q)**2 - 4*k*v1_*(k*v1_+Q*b))**0.5)/(2*k*v1_)
                            lambda_t_4 = (-(2*v1_ + k*Q) - ((2*k*v1_+k*Q)**2 - 4*k*v1_*(k*v1_+Q*b))**0.5)/(2*k*v1_)
                            try:
                                if np.isreal(lambda_t_1):
                                    if lambda_t_1 > 1.0:
                                        lambda_t = lambda_t_1
                                        lambda_t_list.append(lambda_t/(1+lambda_t))
                                        continue
                                if np.isreal(lambda_t_2):
                                    if lambda_t_2 > 1.0:
                                        lambda_t = lambda_t_2
                                        lambda_t_list.append(lambda_t/(1+lambda_t))
                                        continue
                                if np.isreal(lambda_t_3):
                                    if lambda_t_3 <= 1.0 and lambda_t_3 > 0:
                                        lambda_t = lambda_t_3
                                        lambda_t_list.append(lambda_t/(1+lambda_t))
                                        continue
                                if np.isreal(lambda_t_4):
                                    if lambda_t_4 <= 1.0 and lambda_t_4 > 0:
                                        lambda_t = lambda_t_4
                                        lambda_t_list.append(lambda_t/(1+lambda_t))
                                        continue
                                flag = False
                                break
                            except:
                                flag = False
                                break

                if flag == True:
                    zero_count = sum(1 for x in lambda_t_list if x > 0.5)
                    if zero_count > zero_count_default:
                        zero_count_default = zero_count
                        v_optimized = [v1, v2, v3]
                        lambda_t_list_optimized = lambda_t_list
    return v_optimized, zero_count_default, lambda_t_list_optimized


def karras(n):
    # Same formula as src-main/engine/schedule/karras.ts; the JSON carries the exact values used.
    hi, lo = 700 ** (1 / 7), 0.002 ** (1 / 7)
    s = [(hi + (i / (n - 1) if n > 1 else 0) * (lo - hi)) ** 7 for i in range(n)] + [0.0]
    return np.array(s, dtype=np.float32).tolist()


cases = []
for steps, frames, full in [(25, 25, True), (50, 25, False), (100, 25, False), (25, 14, True), (10, 2, True), (1, 5, True), (7, 40, True)]:
    if steps in (25, 50, 100):
        sigmas = np.load(f"../../../../sigmas/sigmas_{steps}.npy").tolist()
    else:
        sigmas = karras(steps)
    (v1, v2, v3), score, table = search_hypers(sigmas, frames)
    table = [float(x) for x in table]
    case = {"steps": steps, "frames": frames, "sigmas": sigmas, "v1": float(v1), "v2": int(v2), "v3": int(v3), "score": score}
    if full:
        case["lambda"] = table
    else:
        # Every 7th entry (row-major index, value): keeps the file small, still covers every row.
        case["sample"] = [[i, table[i]] for i in range(0, len(table), 7)]
    cases.append(case)
    print(steps, frames, v1, v2, v3, score, flush=True)

with open("reference_search.json", "w") as f:
    json.dump({"source": "literal transcription of NVS-Solver search_hypers (reference_search.py)", "cases": cases}, f)
